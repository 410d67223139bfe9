#include "needlescope/io/line_log.h"

#include <gtest/gtest.h>

#include "needlescope/io/input_error.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

std::vector<std::string> Lines(const std::string& path, size_t skip) {
  std::vector<std::string> lines;
  ForEachLine(path, skip, [&](const std::string& line) { lines.push_back(line); });
  return lines;
}

TEST(LineLog, AppendsLinesAndCountsThemWhenReopened) {
  testing::TempDir dir;
  const std::string path = dir.File("log.jsonl");
  {
    LineLog log(path);
    EXPECT_EQ(log.lines(), 0u);
    log.Append("{\"a\":1}");
    log.Append("{\"b\":2}");
    EXPECT_EQ(log.lines(), 2u);
  }
  EXPECT_EQ(testing::ReadTextFile(path), "{\"a\":1}\n{\"b\":2}\n");
  LineLog again(path);
  EXPECT_EQ(again.lines(), 2u);
  again.Append("{\"c\":3}");
  EXPECT_EQ(testing::ReadTextFile(path), "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
  EXPECT_EQ(Lines(path, 0), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  EXPECT_EQ(Lines(path, 2), std::vector<std::string>{"{\"c\":3}"});
}

TEST(LineLog, CutsTheUnfinishedLineAKillLeaves) {
  testing::TempDir dir;
  const std::string path = dir.File("log.jsonl");
  const std::string text = "{\"a\":1}\n{\"b\":2";  // killed while writing the second line
  testing::WriteBytes(path, testing::Bytes(text.begin(), text.end()));
  EXPECT_EQ(Lines(path, 0), std::vector<std::string>{"{\"a\":1}"});  // a reader skips it too
  {
    LineLog log(path);
    EXPECT_EQ(log.lines(), 1u);
    log.Append("{\"b\":2}");
  }
  EXPECT_EQ(testing::ReadTextFile(path), "{\"a\":1}\n{\"b\":2}\n");
  // Nothing but an unfinished line: the file becomes empty.
  testing::WriteBytes(path, testing::Bytes{'{', '"'});
  LineLog cut(path);
  EXPECT_EQ(cut.lines(), 0u);
  EXPECT_EQ(testing::ReadTextFile(path), "");
}

TEST(LineLog, AFolderIsRefusedByName) {
  testing::TempDir dir;
  try {
    LineLog log(dir.path());
    FAIL() << "a folder opened as a log";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), dir.path());
  }
}

}  // namespace
}  // namespace needlescope
