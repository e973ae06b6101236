// The IDCCommands module of idc. See README.md and ../shared/docs/STYLE.md for its place in the layout.
