package io.tandem.broker.cli;

import java.util.List;
import java.util.Map;

/** A text table of JSON rows: the columns' headings and the fields they show, left-aligned. */
record Table(List<String> headings, List<String> fields) {

  String format(List<Map<String, Object>> rows) {
    int[] width = new int[headings.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headings.get(c).length();
      for (Map<String, Object> row : rows) {
        width[c] = Math.max(width[c], cell(row, c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, width, headings);
    for (Map<String, Object> row : rows) {
      line(sb, width, fields.stream().map(f -> text(row.get(f))).toList());
    }
    return sb.toString();
  }

  private String cell(Map<String, Object> row, int c) {
    return text(row.get(fields.get(c)));
  }

  private static String text(Object v) {
    return v == null || v.toString().isEmpty() ? "-" : v.toString();
  }

  private static void line(StringBuilder sb, int[] width, List<String> cells) {
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      sb.append(cell);
      if (c < cells.size() - 1) {
        sb.append(" ".repeat(width[c] - cell.length() + 2));
      }
    }
    sb.append('\n');
  }
}
