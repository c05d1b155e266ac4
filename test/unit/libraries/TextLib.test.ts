import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { PANIC_CODES } from "@nomicfoundation/hardhat-chai-matchers/panic";
import type { TextLibHarness } from "../../../typechain-types";

/** Deterministic bytes of length n (non-zero so padding is visible). */
const bytesOf = (n: number, salt = 1) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + salt) % 255) + 1);

/** The index-th word of data, zero-padded, as 0x-hex. */
function expectedWord(data: Uint8Array, index: number): string {
  const w = new Uint8Array(32);
  w.set(data.subarray(index * 32, Math.min(data.length, index * 32 + 32)));
  return ethers.hexlify(w);
}

describe("TextLib", function () {
  async function fixture() {
    return (await ethers.deployContract("TextLibHarness")) as unknown as TextLibHarness;
  }

  describe("wordAt", function () {
    it("returns each 32-byte word, zero-padding the last one", async function () {
      const h = await loadFixture(fixture);
      for (const n of [1, 5, 31, 32, 33, 63, 64, 65, 100]) {
        const data = bytesOf(n);
        for (let i = 0; i * 32 < n; i++) {
          expect(await h.wordAt(data, i), `len ${n} word ${i}`).to.equal(expectedWord(data, i));
        }
      }
    });

    it("clears dirty memory beyond the end of the data", async function () {
      const h = await loadFixture(fixture);
      for (const n of [1, 17, 31, 32, 33, 47, 64, 70]) {
        const data = bytesOf(n, 3);
        const last = Math.floor((n - 1) / 32);
        expect(await h.wordAtDirty(data, last), `len ${n}`).to.equal(expectedWord(data, last));
      }
    });

    it("returns zero for the word right after the end and panics (underflow) further out", async function () {
      const h = await loadFixture(fixture);
      expect(await h.wordAt(bytesOf(32), 1)).to.equal(ethers.ZeroHash);
      expect(await h.wordAt("0x", 0)).to.equal(ethers.ZeroHash);
      expect(await h.wordAtDirty(bytesOf(32), 1)).to.equal(ethers.ZeroHash);
      await expect(h.wordAt(bytesOf(32), 2)).to.be.revertedWithPanic(PANIC_CODES.ARITHMETIC_OVERFLOW);
      await expect(h.wordAt(bytesOf(10), 2)).to.be.revertedWithPanic(PANIC_CODES.ARITHMETIC_OVERFLOW);
    });
  });

  describe("fromWords", function () {
    it("rebuilds exactly `length` bytes from words", async function () {
      const h = await loadFixture(fixture);
      const w1 = ethers.hexlify(bytesOf(32, 5));
      const w2 = ethers.hexlify(bytesOf(32, 9));
      expect(await h.fromWords([], 0)).to.equal("0x");
      expect(await h.fromWords([w1], 0)).to.equal("0x");
      expect(await h.fromWords([w1], 32)).to.equal(w1);
      expect(await h.fromWords([w1, w2], 40)).to.equal(ethers.concat([w1, ethers.dataSlice(w2, 0, 8)]));
      expect(await h.fromWords([w1, w2], 64)).to.equal(ethers.concat([w1, w2]));
    });

    it("round-trips any length 0..300 through wordAt + fromWords (the certificate's storage path)", async function () {
      const h = await loadFixture(fixture);
      for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127, 128, 200, 255, 256, 257, 300]) {
        const data = ethers.hexlify(bytesOf(n, n));
        expect(await h.roundTrip(data), `len ${n}`).to.equal(data);
      }
    });
  });

  describe("slice", function () {
    it("returns data[start:end]", async function () {
      const h = await loadFixture(fixture);
      const data = bytesOf(70);
      for (const [a, b] of [
        [0, 0],
        [0, 70],
        [0, 1],
        [69, 70],
        [5, 40],
        [32, 64],
        [70, 70],
      ]) {
        expect(await h.slice(data, a, b), `${a}:${b}`).to.equal(ethers.hexlify(data.subarray(a, b)));
      }
    });

    it("panics when start > end or end > length", async function () {
      const h = await loadFixture(fixture);
      await expect(h.slice(bytesOf(10), 5, 4)).to.be.revertedWithPanic(PANIC_CODES.ARITHMETIC_OVERFLOW);
      await expect(h.slice(bytesOf(10), 5, 11)).to.be.revertedWithPanic(PANIC_CODES.ARRAY_ACCESS_OUT_OF_BOUNDS);
    });
  });

  describe("formatKgAsTonnes", function () {
    it("prints tonnes with exactly three decimals", async function () {
      const h = await loadFixture(fixture);
      const cases: [bigint, string][] = [
        [0n, "0.000"],
        [1n, "0.001"],
        [9n, "0.009"],
        [10n, "0.010"],
        [99n, "0.099"],
        [100n, "0.100"],
        [999n, "0.999"],
        [1_000n, "1.000"],
        [1_001n, "1.001"],
        [1_010n, "1.010"],
        [1_500n, "1.500"],
        [123_456_789n, "123456.789"],
        [1_000_000n, "1000.000"],
      ];
      for (const [kg, s] of cases) expect(await h.formatKgAsTonnes(kg), `${kg}`).to.equal(s);
      const max = ethers.MaxUint256;
      expect(await h.formatKgAsTonnes(max)).to.equal(`${max / 1000n}.${(max % 1000n).toString().padStart(3, "0")}`);
    });

    it("matches a JS reference on 200 pseudo-random amounts", async function () {
      const h = await loadFixture(fixture);
      let x = 123456789n;
      for (let i = 0; i < 200; i++) {
        x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
        const kg = x >> BigInt(i % 60);
        expect(await h.formatKgAsTonnes(kg)).to.equal(`${kg / 1000n}.${(kg % 1000n).toString().padStart(3, "0")}`);
      }
    });
  });
});
