# Fig. 4 style: accuracy against the budget M, value-based vs random selection.
# Usage: idc examples/budget.idc
load digits
curve = sweep m=[25, 50, 100, 200, 400] strategies=[hard+rep+div, random] seeds=[0, 1, 2]
export curve to="budget.csv"
