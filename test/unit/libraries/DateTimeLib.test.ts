import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { DateTimeLibHarness } from "../../../typechain-types";

const utcYear = (ts: number) => new Date(ts * 1000).getUTCFullYear();
const at = (y: number, m: number, d: number, hh = 0, mm = 0, ss = 0) => Date.UTC(y, m - 1, d, hh, mm, ss) / 1000;

describe("DateTimeLib", function () {
  async function fixture() {
    return (await ethers.deployContract("DateTimeLibHarness")) as unknown as DateTimeLibHarness;
  }

  async function check(h: DateTimeLibHarness, timestamps: number[]) {
    const got = await h.yearsOf(timestamps);
    timestamps.forEach((ts, i) =>
      expect(got[i], `yearOf(${ts}) = ${new Date(ts * 1000).toISOString()}`).to.equal(BigInt(utcYear(ts))),
    );
  }

  it("is 1970 at the epoch", async function () {
    const h = await loadFixture(fixture);
    expect(await h.yearOf(0)).to.equal(1970n);
  });

  it("flips exactly between 31 Dec 23:59:59 and 1 Jan 00:00:00 for every year 1970..2200", async function () {
    const h = await loadFixture(fixture);
    const ts: number[] = [];
    for (let y = 1971; y <= 2200; y++) ts.push(at(y, 1, 1) - 1, at(y, 1, 1));
    await check(h, ts);
    expect(await h.yearOf(at(2024, 12, 31, 23, 59, 59))).to.equal(2024n);
    expect(await h.yearOf(at(2025, 1, 1))).to.equal(2025n);
  });

  it("handles leap days: Feb 28/29 and Mar 1 in leap, non-leap and century years", async function () {
    const h = await loadFixture(fixture);
    const ts: number[] = [];
    for (const y of [1972, 1999, 2000, 2001, 2023, 2024, 2096, 2100, 2104, 2200, 2400, 2401]) {
      ts.push(at(y, 2, 28), at(y, 2, 28, 23, 59, 59), at(y, 3, 1) - 1, at(y, 3, 1), at(y, 12, 31, 12));
      if (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ts.push(at(y, 2, 29, 12));
    }
    await check(h, ts);
  });

  it("matches JS Date on 500 pseudo-random timestamps up to year 275,000", async function () {
    const h = await loadFixture(fixture);
    const maxTs = 8_639_999_999_999; // JS Date's limit, in seconds
    let seed = 7;
    const rand = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const ts: number[] = [];
    for (let i = 0; i < 250; i++) ts.push(Math.floor(rand() * 4_102_444_800)); // 1970..2100
    for (let i = 0; i < 250; i++) ts.push(Math.floor(rand() * maxTs));
    await check(h, ts);
  });

  it("does not overflow for the largest uint256", async function () {
    const h = await loadFixture(fixture);
    const y = await h.yearOf(ethers.MaxUint256);
    expect(y > 10n ** 60n).to.equal(true);
  });
});
