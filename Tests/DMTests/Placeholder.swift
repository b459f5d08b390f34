// DMTests: tests arrive with the module they cover.
