/**
 * Approval + main transaction, honestly: every refusal is found before the first transaction.
 *
 * 1. Preconditions the approval itself needs (the signer's token balance).
 * 2. The main call is simulated with the approval already in place: an `eth_call` with a state override of
 *    the token's allowance slot (ERC-20) or the operator-approval slot (ERC-1155). The slot is found by
 *    probing (override a candidate slot, read `allowance` / `isApprovedForAll` back), so any OpenZeppelin-style
 *    token works; a node without state overrides falls back to the task's own precondition checks.
 * 3. Only then the approvals are sent, then the main transaction. When the main transaction still fails,
 *    a setApprovalForAll sent by this run is revoked (or, if that fails too, reported), and the message lists
 *    every transaction sent (hash and what it did).
 */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AbiCoder, keccak256, toBeHex, zeroPadValue, type Contract, type Signer } from "ethers";
import { PLUGIN, describeError, money, noteCall, send, type SentTx, type TokenInfo } from "./runner";
import { isProposal } from "./signers";

export type Approval =
  | { kind: "erc20"; token: TokenInfo; spender: string; amount: bigint }
  | { kind: "erc1155"; credit: Contract; operator: string; operatorName?: string };

export interface MainCall {
  label: string;
  contract: Contract;
  method: string;
  args: unknown[];
}

type StateDiff = Record<string, { stateDiff: Record<string, string> }>;

const coder = AbiCoder.defaultAbiCoder();
const slotCache = new Map<string, number | null>();

/** Storage key of `m[a][b]` for a `mapping(address => mapping(address => T))` at `slot`. */
function nestedKey(a: string, b: string, slot: number): string {
  const inner = keccak256(coder.encode(["address", "uint256"], [a, slot]));
  return keccak256(coder.encode(["address", "bytes32"], [b, inner]));
}

async function rawCall(hre: HardhatRuntimeEnvironment, tx: object, overrides?: StateDiff): Promise<string> {
  const params: unknown[] = [tx, "latest"];
  if (overrides) params.push(overrides);
  return hre.network.provider.send("eth_call", params) as Promise<string>;
}

/** Finds the slot of a nested address mapping by overriding candidate slots and reading the getter back. */
async function probeSlot(
  hre: HardhatRuntimeEnvironment,
  contract: Contract,
  getter: string,
  a: string,
  b: string,
): Promise<number | null> {
  const address = (await contract.getAddress()).toLowerCase();
  const cacheKey = `${address}:${getter}`;
  if (slotCache.has(cacheKey)) return slotCache.get(cacheKey)!;
  const data = contract.interface.encodeFunctionData(getter, [a, b]);
  const marker = zeroPadValue(toBeHex(0xa11ce), 32);
  let found: number | null = null;
  for (let slot = 0; slot < 24 && found === null; slot++) {
    try {
      const r = await rawCall(
        hre,
        { to: address, data },
        { [address]: { stateDiff: { [nestedKey(a, b, slot)]: marker } } },
      );
      if (BigInt(r) === 0xa11cen || (getter === "isApprovedForAll" && BigInt(r) === 1n)) found = slot;
    } catch {
      break; // the node does not take state overrides
    }
  }
  slotCache.set(cacheKey, found);
  return found;
}

function label(a: Approval): string {
  if (a.kind === "erc20") return `approve ${money(a.amount, a.token)} to ${a.spender}`;
  return `approve ${a.operatorName ?? a.operator} for CarbonCredit (setApprovalForAll)`;
}

/** Is the approval still missing? */
async function needed(owner: string, a: Approval): Promise<boolean> {
  if (a.kind === "erc20") return (await a.token.contract.allowance(owner, a.spender)) < a.amount;
  return !(await a.credit.isApprovedForAll(owner, a.operator));
}

/**
 * Sends the main call, with the approvals it needs first, and only when the simulation (with the approvals in
 * place) passes. Returns the main transaction's receipt and events.
 */
export async function sendWithApprovals(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  approvals: Approval[],
  main: MainCall,
): Promise<SentTx> {
  const owner = await signer.getAddress();
  noteCall(await main.contract.getAddress(), owner);
  const missing: Approval[] = [];
  for (const a of approvals) if (await needed(owner, a)) missing.push(a);
  const checkBalances = async () => {
    for (const a of approvals) {
      if (a.kind !== "erc20") continue;
      const balance: bigint = await a.token.contract.balanceOf(owner);
      if (balance < a.amount)
        throw new HardhatPluginError(
          PLUGIN,
          `${main.label}: ${owner} holds ${money(balance, a.token)}, needs ${money(a.amount, a.token)}`,
        );
    }
  };
  if (missing.length === 0) {
    try {
      return await send(hre, main.label, main.contract, main.method, main.args);
    } catch (err) {
      // refused at its estimate, nothing sent: a short balance is said as on the approval path
      const text = String((err as Error)?.message);
      if (/: reverted with ERC20InsufficientBalance\(/.test(text) && !/was sent and failed/.test(text))
        await checkBalances();
      throw err;
    }
  }

  // simulate the main call with the approvals in place
  const overrides: StateDiff = {};
  let simulated = true;
  for (const a of missing) {
    const c = a.kind === "erc20" ? a.token.contract : a.credit;
    const getter = a.kind === "erc20" ? "allowance" : "isApprovedForAll";
    const other = a.kind === "erc20" ? a.spender : a.operator;
    const slot = await probeSlot(hre, c, getter, owner, other);
    if (slot === null) {
      simulated = false;
      break;
    }
    const addr = (await c.getAddress()).toLowerCase();
    const value = zeroPadValue(toBeHex(a.kind === "erc20" ? a.amount : 1n), 32);
    overrides[addr] ??= { stateDiff: {} };
    overrides[addr].stateDiff[nestedKey(owner, other, slot)] = value;
  }
  if (simulated) {
    const data = main.contract.interface.encodeFunctionData(main.method, main.args);
    try {
      await rawCall(hre, { from: owner, to: await main.contract.getAddress(), data }, overrides);
    } catch (err) {
      const text = await describeError(hre, err, main.label);
      // the contract's own refusal (SellerCannotBuy, NotIssuer, …) comes first; a token's short balance is said
      // in that token's units when the approvals' own check finds it (ERC20InsufficientBalance cannot always tell)
      if (/reverted with ERC20InsufficientBalance\(/.test(text)) await checkBalances();
      throw new HardhatPluginError(PLUGIN, text);
    }
    await checkBalances(); // the simulation passed; a balance short of the approval is still refused
  } else {
    await checkBalances();
    console.log(
      `note: this node cannot simulate "${main.label}" with the approval in place (no eth_call state override); ` +
        "only the task's own checks ran",
    );
  }

  if (isProposal(signer)) {
    for (const a of missing) {
      const c = a.kind === "erc20" ? a.token.contract : a.credit;
      const args = a.kind === "erc20" ? [a.spender, a.amount] : [a.operator, true];
      const data = c.interface.encodeFunctionData(a.kind === "erc20" ? "approve" : "setApprovalForAll", args);
      console.log(`${label(a)}: NOT sent (${signer.reason}); submit this transaction from ${owner} first:`);
      console.log(`  to    ${await c.getAddress()}\n  value 0\n  data  ${data}`);
    }
    const data = main.contract.interface.encodeFunctionData(main.method, main.args);
    console.log(`${main.label}: NOT sent (${signer.reason}); then submit this transaction from ${owner}:`);
    console.log(`  to    ${await main.contract.getAddress()}\n  value 0\n  data  ${data}`);
    return { events: [] };
  }

  const sentForAll: Approval[] = [];
  for (const a of missing) {
    const c = (a.kind === "erc20" ? a.token.contract : a.credit).connect(signer) as Contract;
    if (a.kind === "erc20") await send(hre, label(a), c, "approve", [a.spender, a.amount]);
    else {
      await send(hre, label(a), c, "setApprovalForAll", [a.operator, true]);
      sentForAll.push(a);
    }
  }
  try {
    return await send(hre, main.label, main.contract, main.method, main.args);
  } catch (err) {
    const notes: string[] = [];
    for (const a of sentForAll) {
      if (a.kind !== "erc1155") continue;
      const c = a.credit.connect(signer) as Contract;
      try {
        await send(
          hre,
          `revoke the approval of ${a.operatorName ?? a.operator} (setApprovalForAll false)`,
          c,
          "setApprovalForAll",
          [a.operator, false],
        );
        notes.push(`the setApprovalForAll of ${a.operator} was revoked`);
      } catch {
        notes.push(`the setApprovalForAll of ${a.operator} is STILL IN PLACE: revoke it (setApprovalForAll false)`);
      }
    }
    for (const a of missing)
      if (a.kind === "erc20")
        notes.push(`the allowance of ${money(a.amount, a.token)} to ${a.spender} remains (approve 0 to revoke it)`);
    const msg = err instanceof Error ? err.message : String(err);
    throw new HardhatPluginError(PLUGIN, notes.length ? `${msg}; ${notes.join("; ")}` : msg);
  }
}
