import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { loadDotenv, parseDotenv } from "../../../config/dotenv";

describe("config/dotenv", function () {
  it("parses KEY=value lines, comments, export, quotes and escapes", function () {
    const { values, badLines } = parseDotenv(
      [
        "# comment",
        "",
        "A=plain",
        "export B = spaced value  ",
        "C=with # inline comment",
        'D="quoted # not a comment"',
        "E='single $quoted'",
        'F="line\\nbreak \\"q\\""',
        "G=",
        "H=url?x=1#frag",
      ].join("\n"),
    );
    expect(badLines).to.deep.equal([]);
    expect(values).to.deep.equal({
      A: "plain",
      B: "spaced value",
      C: "with",
      D: "quoted # not a comment",
      E: "single $quoted",
      F: 'line\nbreak "q"',
      G: "",
      H: "url?x=1#frag",
    });
  });

  it("reports malformed lines by number, not content", function () {
    const { values, badLines } = parseDotenv('OK=1\nthis is secret garbage\nBAD="unterminated\r\n1X=2');
    expect(values).to.deep.equal({ OK: "1" });
    expect(badLines).to.deep.equal([2, 3, 4]);
  });

  it("loads .env without overriding variables already set; DOTENV_PATH selects or disables the file", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dotenv-"));
    try {
      fs.writeFileSync(path.join(dir, ".env"), "X1=file\nX2=file\n");
      fs.writeFileSync(path.join(dir, "other.env"), "X3=other\n");
      const env: NodeJS.ProcessEnv = { X1: "shell" };
      expect(loadDotenv(dir, env)).to.deep.equal(["X2"]);
      expect(env).to.deep.include({ X1: "shell", X2: "file" });

      const env2: NodeJS.ProcessEnv = { DOTENV_PATH: "other.env" };
      expect(loadDotenv(dir, env2)).to.deep.equal(["X3"]);
      expect(env2.X1).to.equal(undefined);

      const env3: NodeJS.ProcessEnv = { DOTENV_PATH: "none" };
      expect(loadDotenv(dir, env3)).to.deep.equal([]);
      expect(loadDotenv(path.join(dir, "missing"), {})).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
