// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC165, IERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {CarbonCredit} from "../credits/CarbonCredit.sol";
import {CarbonPool} from "../pools/CarbonPool.sol";

/// @title PoolReentrantReceiver
/// @notice Test-only attacker: a pool-token holder that redeems from a CarbonPool and, when the credits arrive in
/// `onERC1155Received`/`onERC1155BatchReceived`, re-enters the pool (redeem, redeemAuto, deposit, retireFromPool, or
/// pushes the credits straight back). With `swallow` the failure is recorded in `lastError` and the outer call
/// proceeds; without it the failure bubbles up so the outer call reverts with the same error.
contract PoolReentrantReceiver is IERC1155Receiver, ERC165 {
    enum Attack {
        None,
        Redeem,
        RedeemAuto,
        Deposit,
        RetireFromPool,
        PushBack
    }

    /// @notice The pool under attack.
    CarbonPool public immutable pool;
    /// @notice Its credit contract.
    CarbonCredit public immutable credit;
    /// @notice What to do on the next callback.
    Attack public attack;
    /// @notice Record failures instead of bubbling them.
    bool public swallow;
    /// @notice Re-entrant calls tried.
    uint256 public attempts;
    /// @notice Re-entrant calls that succeeded.
    uint256 public successes;
    /// @notice Revert data of the last failed re-entrant call (when swallowing).
    bytes public lastError;

    bool private _inCallback;

    /// @param pool_ the CarbonPool.
    constructor(CarbonPool pool_) {
        pool = pool_;
        credit = CarbonCredit(address(pool_.credit()));
    }

    /// @notice Sets the attack for the following callbacks.
    function configure(Attack attack_, bool swallow_) external {
        attack = attack_;
        swallow = swallow_;
    }

    /// @notice Approves the pool to pull this contract's credits.
    function approvePool() external {
        credit.setApprovalForAll(address(pool), true);
    }

    /// @notice Deposits as a holder.
    function deposit(uint256 batchId, uint256 amountKg) external returns (uint256) {
        return pool.deposit(batchId, amountKg);
    }

    /// @notice Redeems a chosen batch (the attack runs in the callback).
    function redeem(uint256 batchId, uint256 amountKg) external returns (uint256) {
        return pool.redeem(batchId, amountKg);
    }

    /// @notice Redeems FIFO (the attack runs in the batch callback).
    function redeemAuto(uint256 amountKg) external returns (uint256[] memory, uint256[] memory) {
        return pool.redeemAuto(amountKg);
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256 id, uint256 value, bytes calldata) external returns (bytes4) {
        _maybeAttack(id, value);
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata
    ) external returns (bytes4) {
        _maybeAttack(ids[0], values[0]);
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc ERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || super.supportsInterface(interfaceId);
    }

    function _maybeAttack(uint256 id, uint256 value) private {
        if (attack == Attack.None || _inCallback || msg.sender != address(credit)) return;
        _inCallback = true;
        ++attempts;
        if (_attack(id, value)) ++successes;
        _inCallback = false;
    }

    function _attack(uint256 id, uint256 value) private returns (bool) {
        Attack a = attack;
        if (a == Attack.Redeem) {
            try pool.redeem(id, 1) returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        if (a == Attack.RedeemAuto) {
            try pool.redeemAuto(1) returns (uint256[] memory, uint256[] memory) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        if (a == Attack.Deposit) {
            try pool.deposit(id, value) returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        if (a == Attack.RetireFromPool) {
            try pool.retireFromPool(0, 1, address(0), "reentrant", "attack") returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        try credit.safeTransferFrom(address(this), address(pool), id, value, "") {
            return true;
        } catch (bytes memory e) {
            return _failed(e);
        }
    }

    function _failed(bytes memory e) private returns (bool) {
        if (!swallow) {
            assembly ("memory-safe") {
                revert(add(e, 0x20), mload(e))
            }
        }
        lastError = e;
        return false;
    }
}
