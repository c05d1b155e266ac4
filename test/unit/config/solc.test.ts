import { expect } from "chai";
import hre from "hardhat";
import { TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS } from "hardhat/builtin-tasks/task-names";

const warning = (file: string, errorCode: string, text: string) => ({
  severity: "warning",
  errorCode,
  sourceLocation: { file, start: 0, end: 1 },
  formattedMessage: `Warning: ${text}\n --> ${file}`,
});

describe("compiler output", function () {
  it("drops only the transient-storage warning of OpenZeppelin's TransientSlot.sol and prints every other warning", async function () {
    const printed: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => printed.push(m);
    try {
      await hre.run(TASK_COMPILE_SOLIDITY_LOG_COMPILATION_ERRORS, {
        quiet: false,
        output: {
          errors: [
            warning(
              "@openzeppelin/contracts/utils/TransientSlot.sol",
              "2394",
              "Transient storage as defined by EIP-1153",
            ),
            warning("contracts/pools/CarbonPool.sol", "2394", "Transient storage in our own code"),
            warning("@openzeppelin/contracts/utils/TransientSlot.sol", "2072", "Unused local variable"),
          ],
        },
      });
    } finally {
      console.warn = orig;
    }
    expect(printed).to.have.length(2);
    expect(printed.join("\n")).to.include("Transient storage in our own code");
    expect(printed.join("\n")).to.include("Unused local variable");
    expect(printed.join("\n")).to.not.include("EIP-1153");
  });
});
