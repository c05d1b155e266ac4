import { expect } from "chai";
import { Interface, id } from "ethers";
import { CarbonPoolAbi } from "../../../sdk/generated/abis";
import { encodeCallText } from "../../../sdk/governance";
import { criteriaCall } from "../../../tasks/pools";

describe("pool:criteria's gov:schedule form", function () {
  it("is a setCriteria call gov:schedule parses into the same calldata as the task would send", function () {
    const pool = new Interface(CarbonPoolAbi as any);
    const standards = [id("VCS"), id("GS")];
    const text = criteriaCall(2019n, 5n, standards);
    const criteria = { minVintage: 2019n, categoryMask: 5n, standards };
    expect(encodeCallText(pool, text).data).to.equal(pool.encodeFunctionData("setCriteria", [criteria]));
    const any = criteriaCall(2020n, 1n, []);
    expect(encodeCallText(pool, any).data).to.equal(
      pool.encodeFunctionData("setCriteria", [{ minVintage: 2020n, categoryMask: 1n, standards: [] }]),
    );
  });
});
