#include "needlescope/io/csv_reader.h"

#include <gtest/gtest.h>

namespace needlescope {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  std::string error;
  EXPECT_EQ(ParseCsv("\xEF\xBB\xBFpath,id\r\n\"Smith, J.jpg\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\r\n\nlast,x", &error),
            (Rows{{"path", "id"}, {"Smith, J.jpg", "say \"hi\""}, {"two\nlines", ""}, {"last", "x"}}));
  EXPECT_EQ(error, "");
  EXPECT_EQ(ParseCsv("a,,\"\"\n", &error), (Rows{{"a", "", ""}}));
  EXPECT_EQ(ParseCsv("", &error), Rows{});
}

TEST(CsvReader, MalformedTextIsAnErrorWithItsLine) {
  std::string error;
  EXPECT_TRUE(ParseCsv("a,b\n\"open,c\n", &error).empty());
  EXPECT_EQ(error, "line 2: a quote that is never closed");
  EXPECT_TRUE(ParseCsv("a,b\nc,\"d\"e\n", &error).empty());
  EXPECT_EQ(error, "line 2: text after a closing quote");
}

}  // namespace
}  // namespace needlescope
