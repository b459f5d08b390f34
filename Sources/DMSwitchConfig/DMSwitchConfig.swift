// DMSwitchConfig: the strict TOML subset parser and the dmswitch.toml schema.
