// GTIDTests: tests arrive with the module they cover.
