load digits
select m=[10, 20
kmeans
# expect-exit: 65
# expect-error: syntax_error.idc:3:1: error: expected ',' or ']' after '20' in the list, got 'kmeans'
