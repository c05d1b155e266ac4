import { expect } from "chai";
import { computeAddress } from "ethers";
import {
  DEFAULT_PUBLIC_DELAY,
  LOCAL_DELAY,
  formatDuration,
  governanceEnvProblems,
  openExecutor,
  parseDuration,
  timelockDelay,
} from "../../../config/governance";

const KEY = "0x" + "ab".repeat(32);
const DEPLOYER = computeAddress(KEY);

describe("config/governance", function () {
  it("parses durations in seconds or with a unit, and refuses anything else", function () {
    expect(parseDuration("172800")).to.equal(172_800);
    expect(parseDuration("2d")).to.equal(172_800);
    expect(parseDuration(" 36h ")).to.equal(129_600);
    expect(parseDuration("90m")).to.equal(5_400);
    expect(parseDuration("1w")).to.equal(604_800);
    for (const bad of ["", "2 days", "-1", "1.5h", "0x10"])
      expect(() => parseDuration(bad), bad).to.throw(/is not a duration/);
  });

  it("formats durations in the largest exact unit", function () {
    expect(formatDuration(172_800)).to.equal("2 d");
    expect(formatDuration(5_400)).to.equal("90 min");
    expect(formatDuration(3_601n)).to.equal("3601 s");
  });

  it("defaults minDelay to 2 days on public networks and 60 s locally; refuses less than 1 hour on public networks", function () {
    expect(timelockDelay("sepolia", {})).to.equal(DEFAULT_PUBLIC_DELAY);
    expect(timelockDelay("hardhat", {})).to.equal(LOCAL_DELAY);
    expect(timelockDelay("localhost", { TIMELOCK_MIN_DELAY: "10" })).to.equal(10);
    expect(timelockDelay("amoy", { TIMELOCK_MIN_DELAY: "1h" })).to.equal(3_600);
    expect(() => timelockDelay("amoy", { TIMELOCK_MIN_DELAY: "59m" })).to.throw(
      "TIMELOCK_MIN_DELAY is 59 min: public networks need at least 1 h",
    );
  });

  it("reads TIMELOCK_OPEN_EXECUTOR as true/false only", function () {
    expect(openExecutor({})).to.equal(false);
    expect(openExecutor({ TIMELOCK_OPEN_EXECUTOR: "TRUE" })).to.equal(true);
    expect(() => openExecutor({ TIMELOCK_OPEN_EXECUTOR: "yes" })).to.throw(/true or false/);
  });

  it("finds a deployer acting as ADMIN_ADDRESS or GUARDIAN_ADDRESS from the key alone (before any transaction)", function () {
    const env = { DEPLOYER_PRIVATE_KEY: KEY, ADMIN_ADDRESS: DEPLOYER.toLowerCase(), GUARDIAN_ADDRESS: DEPLOYER };
    expect(governanceEnvProblems("sepolia", env)).to.deep.equal([
      "ADMIN_ADDRESS is the deployer: the hand-over would leave the deployer in control; use a separate (multisig) address",
      "GUARDIAN_ADDRESS is the deployer: the guardian must be an account of its own",
    ]);
    expect(governanceEnvProblems("sepolia", { ...env, TIMELOCK_MIN_DELAY: "soon" })[0]).to.match(/is not a duration/);
    expect(governanceEnvProblems("hardhat", env)).to.deep.equal([]);
    expect(
      governanceEnvProblems("sepolia", { DEPLOYER_PRIVATE_KEY: KEY, ADMIN_ADDRESS: "0x" + "11".repeat(20) }),
    ).to.deep.equal([]);
  });
});
