#pragma once

#include <opencv2/core.hpp>

#include "needlescope/healing/series.h"

namespace needlescope::report {

// The ranges both drawings of a series show: 0 to 5 % past the last day, 0 to 15 % above the
// highest point or the fit's start.
struct SeriesRange {
  double days = 0, level = 0;
};
SeriesRange SeriesPlotRange(const healing::SeriesResult& series);

// DIR/series.png (with --pictures): the followed redness per day (red dots) and the fitted
// curve (blue), labelled. The report page draws the same as an inline SVG.
cv::Mat RenderSeriesPlot(const healing::SeriesResult& series);

}  // namespace needlescope::report
