help select
# expect: select — Choose the M samples to ask about: by IDC's value v = h + r + d, greedily (Algorithm 1), or by a strategy of the field.
help kmeens
# expect-error: help.idc:3:6: error: no command 'kmeens'
# expect-exit: 70
