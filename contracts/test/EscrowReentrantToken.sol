// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title EscrowReentrantToken
/// @notice Malicious ERC-20: when armed, a transfer out of `victim` makes the token call `victim` with
/// `payload` (e.g. `withdraw(token)` again) before moving the balance. With `bubble` the inner revert is
/// re-thrown, otherwise it is swallowed and recorded in `lastReentryOk`/`lastReentryData`. Test support only.
contract EscrowReentrantToken is ERC20 {
    address public victim;
    bytes public payload;
    bool public bubble;
    bool public armed;
    bool public lastReentryOk;
    bytes public lastReentryData;
    uint256 public reentryAttempts;

    constructor() ERC20("Reentrant Token", "RENT") {}

    /// @notice Mints `amount` to `to` (anyone may call: test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms one re-entry into `target_` with `payload_` on the next transfer out of `target_`.
    function arm(address target_, bytes calldata payload_, bool bubble_) external {
        victim = target_;
        payload = payload_;
        bubble = bubble_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from == victim) {
            armed = false;
            ++reentryAttempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = victim.call(payload);
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
