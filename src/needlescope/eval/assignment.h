#pragma once

#include <vector>

namespace needlescope::eval {

// Minimum-cost assignment (Hungarian algorithm, Kuhn-Munkres with potentials; O(n^2 m)) on a
// dense rows x cols cost matrix with rows <= cols. Returns, per row, the column assigned.
std::vector<int> SolveAssignment(const std::vector<std::vector<double>>& cost);

}  // namespace needlescope::eval
