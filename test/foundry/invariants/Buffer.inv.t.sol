// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BufferChecks} from "../base/BufferChecks.sol";
import {BufferHandler} from "../handlers/BufferHandler.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title BufferInvariants
/// @notice BufferPool under random issuance (10 % withheld), transfers, retirements, reversals (avoidable or not),
/// settlements and compensations.
contract BufferInvariants is BufferChecks {
    BufferHandler internal h;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(3, address(this));
        _setBufferRates(ps, 1_000);
        h = new BufferHandler(registry, credit, ps, buffer, START_TIME);
        credit.grantRole(Roles.ISSUER, address(h));
        registry.grantRole(Roles.VERIFIER, address(h));
        targetContract(address(h));
    }

    /// @notice Buffer conservation: Σ balances + retired + cancelled = issued per batch; the buffer's books equal its
    /// credits; cancellations match the reversals; compensation reduces exactly what is owed; serial ranges and
    /// certificates as in the credits campaign; no in-handler check failed.
    function invariant_bufferBooks() public view {
        _checkCreditConservation(h);
        _checkBufferBooks(h);
        _checkSerialRanges(h);
        _checkCertificates(h, false);
        _checkHandler(address(h));
    }
}
