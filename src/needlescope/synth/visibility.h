#pragma once

// Which punctures a detector can be asked for: the ideal observer's d' on the delivered
// file (docs/synthetic-scenes.md, "Visibility").
//
// For each puncture, d'^2 = (1/N^2) sum over f != 0 of E[S(f)]^H P(f)^-1 E[S(f)]: the
// prewhitened matched filter, i.e. the Hotelling observer for a stationary background
// (Barrett & Myers, "Foundations of Image Science", ch. 13), with
//   S  the puncture's own signal in the file: the delivered file of the photo with the
//      punctures minus the one without (the same sensor noise in both), in 8-bit codes,
//      shared among overlapping punctures by the share of each one's lens-blurred profile.
//      JPEG's chroma subsampling and quantisation act on it as on a real photo. Its
//      expectation is estimated from K such pairs with independent noise, and the spread of
//      the K about their mean is subtracted so the energy estimate is unbiased;
//   P  the 3x3 (Y, Cb, Cr) cross-spectral density of what a detector must see past: the
//      photo without punctures before encoding (sensor noise, skin texture, hair,
//      mottling, glare) plus the file's coding error (JPEG's loss: the file minus the
//      photo), as independent noise - the additive model of quantisation, which keeps a
//      lower quality from ever showing a puncture better (the Gaussian model of the
//      quantised file itself does: its quantiser empties the background's fine detail and
//      lets a strong spot's through, and gave q70 1.4 x the lossless d' on one scene).
//      Estimated locally from Hann-windowed 32 x 32 blocks around the puncture, averaged
//      over rings of equal spatial frequency; plus, with the spot present, half the
//      spread of the K signal realisations (JPEG delivers a spot differently each time:
//      the Hotelling observer with unequal class covariances); plus the 8-bit rounding
//      (1/12 code^2 per channel), so that no frequency is divided by zero.
// The mean level (f = 0) is not used: the observer does not know the local skin level.
// Not in it: other punctures as clutter (each is judged as if its neighbours were known).

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/synth/scene.h"

namespace needlescope::synth {

// The decided rule (Rose criterion): d' >= 5 is required of a detector; 3 <= d' < 5 is
// faint (optional); below 3 not visible.
inline constexpr double kRequiredDPrime = 5.0;
inline constexpr double kFaintDPrime = 3.0;

// The rule applied to one d', for the truth's flags (synth) and for scoring (eval) alike.
struct Visibility {
  bool visible = false;  // d' >= 3
  bool faint = false;    // 3 <= d' < 5: visible, not required
};
inline Visibility VisibilityOf(double d_prime) {
  const bool visible = d_prime >= kFaintDPrime;
  return {visible, visible && d_prime < kRequiredDPrime};
}

struct ObserverInputs {
  // K >= 2 realisations (independent noise) of: delivered file with the punctures minus the
  // delivered file without them, same noise in both; CV_32FC3 BGR, codes.
  std::vector<cv::Mat> delivered_signals;
  cv::Mat background_photo;  // CV_8UC3 BGR, the photo without punctures, before encoding
  cv::Mat coding_error;      // CV_32FC3 BGR, its file (decoded) minus it; empty = lossless
  double blur_sigma_px = 0;  // the lens blur the punctures went through
};

// d' of every puncture, in the order given (coordinates in px of the image).
std::vector<double> IdealObserverDPrime(const ObserverInputs& inputs,
                                        const std::vector<TruthPuncture>& punctures);

}  // namespace needlescope::synth
