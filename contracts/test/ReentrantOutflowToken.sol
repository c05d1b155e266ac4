// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantOutflowToken
/// @notice Malicious ERC-20 for the escrow and bond adversarial tests: once armed, the next transfer out of
/// `watched` first makes the token call `callee` with `payload` (the escrow itself re-entering `withdraw`, or a
/// bond holder's proxy re-entering the bond) before the balance moves. With `bubble` the inner revert is re-thrown;
/// otherwise it is swallowed and recorded in `lastReentryOk` / `lastReentryData`. Tests only.
contract ReentrantOutflowToken is ERC20 {
    /// @notice Account whose outgoing transfer triggers the re-entry.
    address public watched;
    /// @notice Contract called on that transfer.
    address public callee;
    /// @notice Calldata of the re-entrant call.
    bytes public payload;
    /// @notice Whether a failed re-entrant call is re-thrown.
    bool public bubble;
    /// @notice Whether the next transfer out of `watched` re-enters.
    bool public armed;
    /// @notice Outcome and return / revert data of the last re-entrant call.
    bool public lastReentryOk;
    bytes public lastReentryData;
    /// @notice Re-entrant calls attempted.
    uint256 public reentryAttempts;

    constructor() ERC20("Reentrant Token", "RENT") {}

    /// @notice Mints `amount` to `to` (anyone may call: test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms one re-entry: on the next transfer out of `watched_`, call `callee_` with `payload_`.
    function arm(address watched_, address callee_, bytes calldata payload_, bool bubble_) external {
        watched = watched_;
        callee = callee_;
        payload = payload_;
        bubble = bubble_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from == watched) {
            armed = false;
            ++reentryAttempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = callee.call(payload);
            lastReentryOk = ok;
            lastReentryData = data;
            if (!ok && bubble) {
                assembly ("memory-safe") {
                    revert(add(data, 32), mload(data))
                }
            }
        }
        super._update(from, to, value);
    }
}
