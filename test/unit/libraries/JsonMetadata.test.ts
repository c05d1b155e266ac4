import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { JsonMetadataHarness } from "../../../typechain-types";

describe("JsonMetadata", function () {
  async function fixture() {
    return (await ethers.deployContract("JsonMetadataHarness")) as unknown as JsonMetadataHarness;
  }

  it("writes an attribute as given and parses as JSON", async function () {
    const h = await loadFixture(fixture);
    const out = await h.attr("Vintage", "2024");
    expect(out).to.equal('{"trait_type":"Vintage","value":"2024"}');
    expect(JSON.parse(out)).to.deep.equal({ trait_type: "Vintage", value: "2024" });
  });

  it("escapes free text so quotes, backslashes and control characters stay inside the value", async function () {
    const h = await loadFixture(fixture);
    const text = 'A "quoted" \\ name\nwith a newline';
    expect(JSON.parse(await h.textAttr("Beneficiary", text))).to.deep.equal({ trait_type: "Beneficiary", value: text });
  });

  it("writes numbers in decimal and dates as JSON numbers with display_type date", async function () {
    const h = await loadFixture(fixture);
    expect(JSON.parse(await h.numberAttr("Issued kg", 10n ** 30n)).value).to.equal("1" + "0".repeat(30));
    expect(JSON.parse(await h.dateAttr("Retired at", 1_700_000_000n))).to.deep.equal({
      trait_type: "Retired at",
      display_type: "date",
      value: 1_700_000_000,
    });
  });

  it("wraps JSON in a base64 data URI that decodes back to it", async function () {
    const h = await loadFixture(fixture);
    const json = '{"name":"x","attributes":[]}';
    const uri = await h.dataURI(ethers.toUtf8Bytes(json));
    expect(uri.startsWith("data:application/json;base64,")).to.equal(true);
    expect(Buffer.from(uri.slice("data:application/json;base64,".length), "base64").toString("utf8")).to.equal(json);
  });
});
