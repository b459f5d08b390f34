// ControlTests: tests arrive with the module they cover.
