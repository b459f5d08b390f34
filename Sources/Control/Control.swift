// Control: the control socket protocol spoken by dmswitchd and dmswitchctl.
