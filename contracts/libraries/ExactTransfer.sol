// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title ExactTransfer
/// @notice The suite's one balance-delta token pull: moves `amount` of an ERC-20 from a payer with
/// `safeTransferFrom` and checks that the recipient's balance rose by exactly `amount`. Tokens that deliver less
/// (fee-on-transfer, deflationary) or more (rebasing, callbacks that top up) are refused with one error, so every
/// book the suite keeps matches what it holds.
library ExactTransfer {
    using SafeERC20 for IERC20;

    /// @notice The recipient received `received` instead of `expected` (0 when its balance did not rise).
    error TokenTransferShortfall(uint256 expected, uint256 received);

    /// @notice Moves exactly `amount` of `token` from `from` to `to` (allowance given to the calling contract).
    /// @dev Reverts TokenTransferShortfall(amount, received) unless `to`'s balance rose by exactly `amount`.
    function pull(IERC20 token, address from, address to, uint256 amount) internal {
        uint256 before = token.balanceOf(to);
        token.safeTransferFrom(from, to, amount);
        uint256 afterwards = token.balanceOf(to);
        // Wrapping is harmless: a balance that fell gives a difference no transferable amount can equal.
        unchecked {
            if (afterwards - before != amount) {
                revert TokenTransferShortfall(amount, afterwards > before ? afterwards - before : 0);
            }
        }
    }
}
