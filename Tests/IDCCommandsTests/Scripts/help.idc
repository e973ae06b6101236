help select
# expect: select — Choose the M most valuable samples to ask about: v = h + r + d, greedily (IDC Algorithm 1).
help kmeens
# expect-error: help.idc:3:6: error: no command 'kmeens'
# expect-exit: 70
