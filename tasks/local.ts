/** Local-network helpers: the test-stablecoin faucet and moving the node's clock. Refused on every other network. */
import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { PLUGIN, action, deployed, erc20, money, resolveSigner, send } from "./lib/runner";
import { parseAddress, parseDate, parseDuration, parseUnitsStrict } from "./lib/parse";

task(
  "faucet",
  "Mints test stablecoin (TestStablecoin, tUSD) to an account. Local networks only.\n" +
    "  Example: npx hardhat faucet --network localhost --to 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 --amount 10000",
)
  .addParam("to", "recipient address (0x…)")
  .addOptionalParam("amount", "amount in tUSD, e.g. 10000", "10000")
  .addOptionalParam("from", "signer: named account, index or address", "deployer")
  .setAction(
    action(
      async (a: Record<string, string>, hre) => {
        const to = parseAddress("to", a.to);
        const signer = await resolveSigner(hre, a.from);
        const usd = await deployed(hre, "TestStablecoin", signer);
        const t = await erc20(hre, await usd.getAddress());
        const amount = parseUnitsStrict("amount", a.amount, t.decimals);
        await send(hre, `mint ${money(amount, t)} to ${to}`, usd, "mint", [to, amount]);
        console.log(`balance of ${to}: ${money(await usd.balanceOf(to), t)}`);
      },
      { localOnly: "faucet" },
    ),
  );

task(
  "time:advance",
  "Moves the local node's clock forward and mines a block. Local networks only.\n" +
    "  Example: npx hardhat time:advance --network localhost --by 1d\n" +
    "  Example: npx hardhat time:advance --network localhost --to 2032-01-01",
)
  .addOptionalParam("by", "how far: seconds or 30m, 12h, 7d, 2w")
  .addOptionalParam("to", "to this time (ISO date or unix seconds; must be later than the latest block)")
  .setAction(
    action(
      async (a: Record<string, string | undefined>, hre) => {
        if ((a.by === undefined) === (a.to === undefined))
          throw new HardhatPluginError(PLUGIN, "invalid argument: give exactly one of --by or --to");
        const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
        const target = a.by !== undefined ? now + parseDuration("by", a.by) : parseDate("to", a.to);
        if (target <= now)
          throw new HardhatPluginError(
            PLUGIN,
            `invalid argument: --to ${new Date(Number(target) * 1000).toISOString()} is not after the latest block (${new Date(Number(now) * 1000).toISOString()})`,
          );
        await hre.network.provider.send("evm_setNextBlockTimestamp", [Number(target)]);
        await hre.network.provider.send("evm_mine", []);
        const b = await hre.ethers.provider.getBlock("latest");
        console.log(
          `clock moved to ${new Date(b!.timestamp * 1000).toISOString()} (${b!.timestamp}), block ${b!.number}`,
        );
      },
      { localOnly: "time:advance" },
    ),
  );
