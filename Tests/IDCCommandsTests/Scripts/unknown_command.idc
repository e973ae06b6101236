load digits
kmean k=10
# expect-error: unknown_command.idc:2:1: error: unknown command 'kmean'
# expect-exit: 70
