// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title ReentrantPaymentToken
/// @notice Malicious payment token: on `transferFrom` it first calls `victim` with `data` (e.g. the marketplace's
/// buy or cancel). With `swallow` it records the failure and carries on; otherwise the failure bubbles up.
/// Tests only.
contract ReentrantPaymentToken is ERC20 {
    /// @notice Contract re-entered on transferFrom (zero = no attack).
    address public victim;
    /// @notice Calldata of the re-entrant call.
    bytes public data;
    /// @notice Whether a failed re-entrant call is swallowed.
    bool public swallow;
    /// @notice Number of re-entrant calls attempted.
    uint256 public attempts;
    /// @notice Number of re-entrant calls that succeeded.
    uint256 public successes;
    /// @notice Revert data of the last failed re-entrant call.
    bytes public lastRevert;
    bool private _attacking;

    constructor() ERC20("Reentrant USD", "rUSD") {}

    /// @notice Open mint (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the attack.
    function arm(address victim_, bytes calldata data_, bool swallow_) external {
        victim = victim_;
        data = data_;
        swallow = swallow_;
    }

    /// @notice ERC-20 transferFrom that re-enters `victim` first.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (victim != address(0) && !_attacking) {
            _attacking = true;
            ++attempts;
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = victim.call(data);
            _attacking = false;
            if (ok) {
                ++successes;
            } else if (swallow) {
                lastRevert = ret;
            } else {
                Address.verifyCallResult(ok, ret);
            }
        }
        return super.transferFrom(from, to, value);
    }
}
