#pragma once

#include <opencv2/core.hpp>

#include "needlescope/healing/series.h"

namespace needlescope::report {

// DIR/series.png (with --pictures): the followed redness per day (red dots) and the fitted
// curve (blue), labelled. The report page draws the same as an inline SVG.
cv::Mat RenderSeriesPlot(const healing::SeriesResult& series);

}  // namespace needlescope::report
