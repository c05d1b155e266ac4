// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice The one malicious ERC-20 of the test suite: once armed, a transfer out of `watched` (a buyer paying the
/// marketplace, the escrow paying a withdrawal, a bond paying a holder) first makes the token call `callee` with
/// `payload` (re-enter the marketplace, the escrow or the bond — directly, or through a holder's proxy) before the
/// balance moves. With `oneShot` the hook disarms after it fired; otherwise it fires on every such transfer (never
/// from inside its own call). With `bubble` a failed re-entrant call is re-thrown (the outer call reverts with its
/// error); otherwise it is recorded in `lastRevert` and the transfer goes on. Open mint. Tests only.
contract ReentrantToken is ERC20 {
    /// @notice Account whose outgoing transfers trigger the re-entry.
    address public watched;
    /// @notice Contract called on such a transfer.
    address public callee;
    /// @notice Calldata of the re-entrant call.
    bytes public payload;
    /// @notice Whether a failed re-entrant call is re-thrown.
    bool public bubble;
    /// @notice Whether the hook disarms after firing once.
    bool public oneShot;
    /// @notice Whether the next transfer out of `watched` re-enters.
    bool public armed;
    /// @notice Re-entrant calls attempted.
    uint256 public attempts;
    /// @notice Re-entrant calls that succeeded.
    uint256 public successes;
    /// @notice Revert data of the last failed re-entrant call.
    bytes public lastRevert;

    bool private _inHook;

    constructor() ERC20("Reentrant USD", "rUSD") {}

    /// @notice Mints `amount` to `to` (anyone may call: test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: transfers out of `watched_` first call `callee_` with `payload_`.
    /// @param oneShot_ disarm after the first re-entry
    /// @param bubble_ re-throw a failed re-entry instead of recording it
    function arm(address watched_, address callee_, bytes calldata payload_, bool oneShot_, bool bubble_) external {
        watched = watched_;
        callee = callee_;
        payload = payload_;
        oneShot = oneShot_;
        bubble = bubble_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (armed && from == watched && from != address(0) && !_inHook) {
            if (oneShot) armed = false;
            _inHook = true;
            ++attempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = callee.call(payload);
            _inHook = false;
            if (ok) {
                ++successes;
            } else if (bubble) {
                assembly ("memory-safe") {
                    revert(add(data, 0x20), mload(data))
                }
            } else {
                lastRevert = data;
            }
        }
        super._update(from, to, value);
    }
}
