// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BondHolderProxy
/// @notice Test account contract: forwards arbitrary calls (so a contract can hold bond units, subscribe, claim,
/// redeem, and be used to re-enter from a malicious token hook). Bubbles up reverts.
contract BondHolderProxy {
    /// @notice Calls `target` with `data`; reverts with the callee's revert data on failure.
    function forward(address target, bytes calldata data) external returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }
}
