#include "needlescope/io/line_log.h"

#include <gtest/gtest.h>

#include "needlescope/io/input_error.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

TEST(LineLog, AppendsLinesAndReturnsThemWhenReopened) {
  testing::TempDir dir;
  const std::string path = dir.File("log.jsonl");
  std::vector<std::string> existing = {"stale"};
  {
    LineLog log(path, &existing);
    EXPECT_TRUE(existing.empty());
    log.Append("{\"a\":1}");
    log.Append("{\"b\":2}");
  }
  EXPECT_EQ(testing::ReadTextFile(path), "{\"a\":1}\n{\"b\":2}\n");
  LineLog again(path, &existing);
  EXPECT_EQ(existing, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  again.Append("{\"c\":3}");
  EXPECT_EQ(testing::ReadTextFile(path), "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
}

TEST(LineLog, CutsTheUnfinishedLineAKillLeaves) {
  testing::TempDir dir;
  const std::string path = dir.File("log.jsonl");
  const std::string text = "{\"a\":1}\n{\"b\":2";  // killed while writing the second line
  testing::WriteBytes(path, testing::Bytes(text.begin(), text.end()));
  std::vector<std::string> existing;
  {
    LineLog log(path, &existing);
    EXPECT_EQ(existing, std::vector<std::string>{"{\"a\":1}"});
    log.Append("{\"b\":2}");
  }
  EXPECT_EQ(testing::ReadTextFile(path), "{\"a\":1}\n{\"b\":2}\n");
  // Nothing but an unfinished line: the file becomes empty.
  testing::WriteBytes(path, testing::Bytes{'{', '"'});
  LineLog cut(path, &existing);
  EXPECT_TRUE(existing.empty());
  EXPECT_EQ(testing::ReadTextFile(path), "");
}

TEST(LineLog, AFolderIsRefusedByName) {
  testing::TempDir dir;
  try {
    LineLog log(dir.path(), nullptr);
    FAIL() << "a folder opened as a log";
  } catch (const InputError& e) {
    EXPECT_EQ(e.path(), dir.path());
  }
}

}  // namespace
}  // namespace needlescope
