import type { Act } from "../context";
import type { CreditMarketplace, TreelionTimelock } from "../../../typechain-types";
import { ZeroHash, id } from "ethers";
import { decodeError, decodeScheduledCall, encodeCallText, operationId, type TimelockCall } from "../../../sdk";

/**
 * Governance: a fee change goes through the TreelionTimelock (schedule, refused before the delay, executed after
 * it); the guardian stops the market at once but cannot resume it, and the resume waits the delay too.
 * Locally the named `admin` (the registrar) stands in for the multisig and minDelay is 60 s; the clock is moved.
 */
const act: Act = {
  title: "Governance: timelocked fee change, guardian pause, slow resume",
  async run(ctx) {
    const { hre } = ctx;
    const multisig = await hre.ethers.getSigner((await hre.getNamedAccounts()).admin);
    const guardian = await hre.ethers.getSigner((await hre.getNamedAccounts()).guardian);
    const timelock = await ctx.contract<TreelionTimelock>("TreelionTimelock", multisig);
    const market = await ctx.contract<CreditMarketplace>("CreditMarketplace", multisig);
    const [tl, target] = [await timelock.getAddress(), await market.getAddress()];
    const delay = await timelock.getMinDelay();
    ctx.print(`  TreelionTimelock ${tl}: minDelay ${delay} s; proposer and executor: the multisig (named admin)`);

    const latest = async () => BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
    const wait = async (seconds: bigint) => {
      await hre.network.provider.send("evm_increaseTime", [Number(seconds)]);
      await hre.network.provider.send("evm_mine", []);
      ctx.print(`  … ${seconds} s later`);
    };
    /** schedule → (refused early) → wait → execute, for one call written as text */
    const govern = async (text: string, tryEarly: boolean) => {
      const call: TimelockCall = {
        target,
        value: 0n,
        data: encodeCallText(market.interface, text).data,
        predecessor: ZeroHash,
        salt: id(`demo ${text} ${await latest()}`), // a new operation on every demo run
      };
      const opId = operationId(call);
      await ctx.send(
        `multisig schedules CreditMarketplace.${text}`,
        timelock.schedule(call.target, call.value, call.data, call.predecessor, call.salt, delay),
      );
      ctx.print(`  scheduled ${decodeScheduledCall(market.interface, call.data)!.text}: operation ${opId}`);
      if (tryEarly) {
        const early = await timelock.execute
          .staticCall(call.target, call.value, call.data, call.predecessor, call.salt)
          .then(
            () => "executed?!",
            (err) => decodeError(err)?.formatted ?? String(err),
          );
        if (!early.startsWith("TimelockUnexpectedOperationState")) throw new Error(`early execute: ${early}`);
        ctx.print(`  execute before the delay is refused: ${early.slice(0, 60)}…`);
        ctx.note("earlyExecute", early.split("(")[0]);
      }
      await wait(delay);
      await ctx.send(
        `multisig executes CreditMarketplace.${text} through the timelock`,
        timelock.execute(call.target, call.value, call.data, call.predecessor, call.salt),
      );
      return opId;
    };

    // 1. a fee change, announced `delay` seconds ahead
    const before = await market.feeBps();
    const next = before === 150n ? 100n : 150n;
    const { treasury } = await hre.getNamedAccounts();
    const feeOp = await govern(`setFee(${next}, ${treasury})`, true);
    ctx.print(`  marketplace fee ${before} → ${await market.feeBps()} bps (operation ${feeOp.slice(0, 10)}… done)`);
    ctx.note("fee", { before: before.toString(), after: (await market.feeBps()).toString() });

    // 2. stop fast: the guardian pauses at once …
    await ctx.send("guardian pauses the marketplace", market.connect(guardian).pause());
    // … resume slowly: it cannot unpause; only DEFAULT_ADMIN_ROLE (the timelock) can
    const refused = await market
      .connect(guardian)
      .unpause.staticCall()
      .then(
        () => "unpaused?!",
        (err) => decodeError(err)?.formatted ?? String(err),
      );
    if (!refused.startsWith("AccessControlUnauthorizedAccount")) throw new Error(`guardian unpause: ${refused}`);
    ctx.print(`  guardian's unpause is refused: ${refused}`);
    ctx.note("guardianUnpause", refused);
    await govern("unpause()", false);
    ctx.print(`  marketplace paused: ${await market.paused()}`);
  },
};

export default act;
