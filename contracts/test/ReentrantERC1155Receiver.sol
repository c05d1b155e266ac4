// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC165, IERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {CarbonCredit} from "../credits/CarbonCredit.sol";
import {IssueParams} from "../interfaces/ICarbonCredit.sol";

/// @title ReentrantERC1155Receiver
/// @notice Test-only attacker: when CarbonCredit calls `onERC1155Received`/`onERC1155BatchReceived`, it
/// re-enters CarbonCredit (issue, issueWithHint, retire, retireBatch or a re-transfer of what it just got).
/// With `swallow` the failure of the re-entrant call is recorded in `lastError` and the outer call
/// proceeds; without it the failure is bubbled up so the outer call reverts with the same error.
contract ReentrantERC1155Receiver is IERC1155Receiver, ERC165 {
    enum Attack {
        None,
        Issue,
        IssueWithHint,
        Retire,
        RetireBatch,
        Transfer
    }

    /// @notice The credit contract under attack.
    CarbonCredit public immutable credit;
    /// @notice What to do on the next callback.
    Attack public attack;
    /// @notice Record failures instead of bubbling them.
    bool public swallow;
    /// @notice Re-entrant calls tried / succeeded.
    uint256 public attempts;
    /// @notice Re-entrant calls that succeeded.
    uint256 public successes;
    /// @notice Revert data of the last failed re-entrant call (when swallowing).
    bytes public lastError;
    /// @notice Where a Transfer attack sends the units.
    address public transferTo;

    IssueParams private _params;
    bool private _inCallback;

    /// @param credit_ the CarbonCredit contract.
    constructor(CarbonCredit credit_) {
        credit = credit_;
    }

    /// @notice Sets the attack for the following callbacks.
    function configure(Attack attack_, bool swallow_, IssueParams calldata params, address transferTo_) external {
        attack = attack_;
        swallow = swallow_;
        _params = params;
        transferTo = transferTo_;
    }

    /// @notice Lets the test drive the receiver as a holder.
    function retireOwn(uint256 batchId, uint256 amountKg) external returns (uint256) {
        return credit.retire(batchId, amountKg, address(0), "attacker", "test");
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
        bool ok = _attack(id, value);
        if (ok) ++successes;
        _inCallback = false;
    }

    function _attack(uint256 id, uint256 value) private returns (bool) {
        Attack a = attack;
        if (a == Attack.Issue) {
            try credit.issue(_params) returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        if (a == Attack.IssueWithHint) {
            try credit.issueWithHint(_params, 0) returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        if (a == Attack.Retire) {
            try credit.retire(id, value, address(0), "reentrant", "attack") returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        if (a == Attack.RetireBatch) {
            uint256[] memory ids = new uint256[](1);
            uint256[] memory amounts = new uint256[](1);
            ids[0] = id;
            amounts[0] = value;
            try credit.retireBatch(ids, amounts, address(0), "reentrant", "attack") returns (uint256) {
                return true;
            } catch (bytes memory e) {
                return _failed(e);
            }
        }
        try credit.safeTransferFrom(address(this), transferTo, id, value, "") {
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
