/**
 * ERC-2612 permits: one signer for the tests, the demo, the benches and dApps (`buyWithPermit`,
 * `fundWithPermit`, pool-token permits). Browser-safe.
 */
import { Signature, type TypedDataDomain } from "ethers";

/** What `signPermit` needs of the token (a TypeChain TestStablecoin / CarbonPool handle satisfies it). */
export interface PermitToken {
  getAddress(): Promise<string>;
  name(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
  /** EIP-5267 domain (OpenZeppelin's ERC20Permit has it): name, version and chain id are read from it */
  eip712Domain?(): Promise<[string, string, string, bigint, string, string, bigint[]] | unknown[]>;
}

/** What `signPermit` needs of the owner (an ethers Signer). */
export interface PermitSigner {
  getAddress(): Promise<string>;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
  provider?: { getNetwork(): Promise<{ chainId: bigint }> } | null;
}

/** A split permit signature: pass `v, r, s` to `…WithPermit` / `permit`. */
export interface PermitSignature {
  v: number;
  r: string;
  s: string;
  /** the 65-byte signature */
  serialized: string;
}

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The token's EIP-712 domain: from `eip712Domain()` when it has it, else its name, version "1" and the chain id. */
export async function permitDomain(token: PermitToken, owner: PermitSigner): Promise<TypedDataDomain> {
  const verifyingContract = await token.getAddress();
  if (typeof token.eip712Domain === "function") {
    const d = (await token.eip712Domain()) as unknown[];
    return { name: String(d[1]), version: String(d[2]), chainId: BigInt(d[3] as bigint), verifyingContract };
  }
  if (!owner.provider) throw new Error("signPermit: the signer has no provider to read the chain id from");
  const { chainId } = await owner.provider.getNetwork();
  return { name: await token.name(), version: "1", chainId, verifyingContract };
}

/**
 * Signs an ERC-2612 permit of `owner` for `spender` over `value` until `deadline` (unix seconds). The nonce is the
 * token's current one unless given.
 */
export async function signPermit(
  token: PermitToken,
  owner: PermitSigner,
  spender: string,
  value: bigint,
  deadline: bigint,
  nonce?: bigint,
): Promise<PermitSignature> {
  const ownerAddress = await owner.getAddress();
  const domain = await permitDomain(token, owner);
  const message = {
    owner: ownerAddress,
    spender,
    value,
    nonce: nonce ?? (await token.nonces(ownerAddress)),
    deadline,
  };
  const sig = Signature.from(await owner.signTypedData(domain, PERMIT_TYPES, message));
  return { v: sig.v, r: sig.r, s: sig.s, serialized: sig.serialized };
}
