// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BondReentrantToken
/// @notice Test token with a malicious hook: once armed, the next transfer out of `watched` first calls `callee`
/// with `payload` (e.g. a holder proxy re-entering the bond) and records whether that re-entrant call succeeded.
contract BondReentrantToken is ERC20 {
    address public watched;
    address public callee;
    bytes public payload;
    bool public armed;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor() ERC20("Reentrant USD", "rUSD") {}

    /// @notice Open mint (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook for the next transfer out of `watched_`.
    function arm(address watched_, address callee_, bytes calldata payload_) external {
        watched = watched_;
        callee = callee_;
        payload = payload_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from == watched) {
            armed = false;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory err) = callee.call(payload);
            reentrySucceeded = ok;
            reentryError = err;
        }
        super._update(from, to, value);
    }
}
