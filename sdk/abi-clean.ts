/**
 * ABIs as ethers accepts them. An external library's compiled ABI describes parameters of library-only types
 * (a contract or storage type such as `IComplianceRegistry`), which are not ABI types: ethers warns "Invalid
 * Fragment" for each. Such functions can only be called by linked contracts, never by a client, so they are dropped.
 * Pure and dependency-free: config-time code (deploy-utils, tasks) may load it before anything is compiled.
 */

/** An ABI parameter as compiled (name, type, components of tuples). */
interface AbiParam {
  type?: string;
  components?: readonly AbiParam[];
}

const ELEMENTARY =
  /^(address|bool|string|bytes([1-9]|[12][0-9]|3[0-2])?|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?|function|tuple)(\[\d*\])*$/;

/** Whether a parameter (and every component of a tuple) has an ABI type. */
export function isAbiParam(p: AbiParam): boolean {
  if (!p.type || !ELEMENTARY.test(p.type)) return false;
  return (p.components ?? []).every(isAbiParam);
}

/** The ABI without fragments whose parameters are not ABI types (library-only functions). */
export function ethersAbi<T extends { inputs?: readonly AbiParam[]; outputs?: readonly AbiParam[] }>(
  abi: readonly T[],
): T[] {
  return abi.filter((f) => [...(f.inputs ?? []), ...(f.outputs ?? [])].every(isAbiParam));
}
