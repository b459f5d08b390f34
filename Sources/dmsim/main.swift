// dmsim: a DM emulator, argument- and output-compatible with dmctl.
