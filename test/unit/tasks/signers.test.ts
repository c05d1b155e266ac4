import { expect } from "chai";
import { Wallet } from "ethers";
import { keyVariable, operatorKeys } from "../../../tasks/lib/signers";

const K1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const K2 = "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

describe("per-role signing keys for public networks", function () {
  it("names each named account's key variable in SNAKE_CASE with _PRIVATE_KEY", function () {
    expect(keyVariable("admin")).to.equal("ADMIN_PRIVATE_KEY");
    expect(keyVariable("verifier")).to.equal("VERIFIER_PRIVATE_KEY");
    expect(keyVariable("guardian")).to.equal("GUARDIAN_PRIVATE_KEY");
    expect(keyVariable("bondAgent")).to.equal("BOND_AGENT_PRIVATE_KEY");
  });

  it("collects DEPLOYER_PRIVATE_KEY, every named account's key and OPERATOR_KEYS (0x optional)", function () {
    const keys = operatorKeys(["admin", "verifier"], {
      ADMIN_PRIVATE_KEY: K1,
      OPERATOR_KEYS: ` ${K2} , `,
    });
    expect(keys.map((k) => new Wallet(k).address)).to.deep.equal([
      new Wallet(K1).address,
      new Wallet(`0x${K2}`).address,
    ]);
  });

  it("refuses a malformed key by the variable's name, never echoing it", function () {
    expect(() => operatorKeys(["admin"], { ADMIN_PRIVATE_KEY: "0xSECRETdead" })).to.throw(
      /^ADMIN_PRIVATE_KEY is not a 32-byte hex private key$/,
    );
    expect(() => operatorKeys([], { OPERATOR_KEYS: `${K1},nope-SECRET` })).to.throw(
      /^OPERATOR_KEYS entry 2 is not a 32-byte hex private key$/,
    );
  });
});
