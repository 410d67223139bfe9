#pragma once

#include <string>
#include <vector>

namespace needlescope::cli {

// Each subcommand parses its own arguments (those after the command name) and returns the
// process exit code (exit_codes.h). Usage errors are thrown as UsageError.
int RunAnalyze(const std::vector<std::string>& args);
int RunSynth(const std::vector<std::string>& args);
int RunEval(const std::vector<std::string>& args);
int RunCalibrate(const std::vector<std::string>& args);
int RunUniformity(const std::vector<std::string>& args);
int RunCompare(const std::vector<std::string>& args);
int RunSeries(const std::vector<std::string>& args);
int RunTrain(const std::vector<std::string>& args);
int RunBatch(const std::vector<std::string>& args);
int RunQuery(const std::vector<std::string>& args);
int RunMerge(const std::vector<std::string>& args);
int RunValidate(const std::vector<std::string>& args);

}  // namespace needlescope::cli
