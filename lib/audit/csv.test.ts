import { describe, expect, test } from "vitest";
import { auditCsvHeader, encodeAuditCsvRow, encodeCsvField, encodeCsvRow, encodeTruncationRow } from "./csv";

// A small RFC 4180 reader, to show that what the encoder writes reads back as it was meant.
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  return records;
}

describe("encodeCsvField", () => {
  test.each([
    ["plain", "plain"],
    ["", ""],
    [null, ""],
    [undefined, ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["line\nbreak", '"line\nbreak"'],
    ["crlf\r\nend", '"crlf\r\nend"'],
    ['{"weight":100,"enabled":true}', '"{""weight"":100,""enabled"":true}"'],
    // formula injection: a leading = + - @ tab or CR becomes text
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", '"\'\rcmd"'],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["=a,b", `"'=a,b"`],
    // only the first character counts
    ["a=1", "a=1"],
    [" =1", " =1"],
    ["2026-01-10T12:00:00.000Z", "2026-01-10T12:00:00.000Z"],
  ])("%j -> %j", (value, encoded) => {
    expect(encodeCsvField(value)).toBe(encoded);
  });
});

describe("encodeCsvRow", () => {
  test.each([
    [["a", "b", "c"], "a,b,c\r\n"],
    [["a", null, ""], "a,,\r\n"],
    [["x,y", 'q"', "=z"], '"x,y","q""",\'=z\r\n'],
  ])("%j", (fields, encoded) => {
    expect(encodeCsvRow(fields)).toBe(encoded);
  });

  test.each([["a,b"], ['"quoted"'], ["multi\r\nline"], ["plain"], ['mixed, "all"\nof it']])("%j reads back as written", (value) => {
    expect(parseCsv(encodeCsvRow(["before", value, "after"]))).toEqual([["before", value, "after"]]);
  });
});

describe("audit rows", () => {
  test("the header names the columns in order", () => {
    expect(auditCsvHeader).toBe("at,actor_type,actor,action,service,target,reason,before,after\r\n");
  });

  test("an event is one record with its JSON kept, quoted", () => {
    const row = encodeAuditCsvRow({
      at: new Date("2026-01-10T12:00:00Z"),
      actorType: "user",
      actorName: "Ada, admin",
      action: "instance.weight",
      service: "orders",
      target: "instance/orders-2",
      reason: "=canary",
      before: '{"weight":100}',
      after: '{"weight":0}',
    });
    expect(parseCsv(row)).toEqual([
      ["2026-01-10T12:00:00.000Z", "user", "Ada, admin", "instance.weight", "orders", "instance/orders-2", "'=canary", '{"weight":100}', '{"weight":0}'],
    ]);
  });

  test("null service, reason, before and after are empty fields", () => {
    const row = encodeAuditCsvRow({
      at: new Date(0),
      actorType: "system",
      actorName: "meshdeck",
      action: "api-token.create",
      service: null,
      target: "api-token/x",
      reason: null,
      before: null,
      after: null,
    });
    expect(row).toBe("1970-01-01T00:00:00.000Z,system,meshdeck,api-token.create,,api-token/x,,,\r\n");
  });

  test("the truncation note has as many fields as the header", () => {
    const [note] = parseCsv(encodeTruncationRow({ written: 100_000, total: 123_456 }));
    expect(note).toHaveLength(9);
    expect(note?.[0]).toMatch(/^# truncated: the newest 100000 of 123456/);
  });
});
