// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditOps} from "./CreditOps.sol";
import {BufferPool} from "../../../contracts/buffer/BufferPool.sol";

/// @title BufferOps
/// @notice The BufferPool: issuance withholds a buffer share (the projects have a buffer rate), verifiers report
/// reversals (avoidable or not) that cancel buffer credits (the project's own first, then the pooled rest), pending
/// reversals are settled when new buffer arrives, and owners compensate avoidable reversals with credits of Active
/// projects. Ghosts: kg reported and compensated per reversal.
abstract contract BufferOps is CreditOps {
    BufferPool internal immutable _buffer;

    uint256[] internal _reversals;
    mapping(uint256 reversalId => uint256) public ghostReportedKg;
    mapping(uint256 reversalId => uint256) public ghostCompensatedKg;

    constructor(BufferPool buffer_) {
        _buffer = buffer_;
        _venues.push(address(buffer_));
        for (uint256 i; i < _actors.length; ++i) {
            vm.prank(_actors[i]);
            _credit.setApprovalForAll(address(buffer_), true);
        }
    }

    /// @notice A verifier reports a reversal of up to 3 t on a project (one in three avoidable).
    function bufferReport(uint256 projectSeed, uint256 amountSeed) public timed {
        uint256 projectId = _projects[projectSeed % _projects.length];
        uint256 amount = bound(amountSeed, 1, 3_000);
        bool avoidable = amountSeed % 3 == 0;
        uint256 id = _buffer.reportReversal(projectId, amount, avoidable, keccak256(abi.encode("reversal", amount)));
        _reversals.push(id);
        ghostReportedKg[id] = amount;
    }

    /// @notice Anyone settles the rest of a reversal the buffer could not cover yet (a new report when none waits).
    function bufferSettle(uint256 seed) public timed {
        uint256 n = _reversals.length;
        for (uint256 k; k < n; ++k) {
            uint256 id = _reversals[(seed + k) % n];
            if (_buffer.remainingKg(id) == 0) continue;
            _buffer.settleReversal(id);
            return;
        }
        bufferReport(seed, seed >> 8);
    }

    /// @notice A holder compensates an avoidable reversal with credits of an Active project (a report first when
    /// nothing is owed).
    function bufferCompensate(uint256 seed, uint256 amountSeed) public timed {
        uint256 n = _reversals.length;
        for (uint256 k; k < n; ++k) {
            uint256 id = _reversals[(seed + k) % n];
            (, , , , uint256 owed, , , ) = _buffer.reversal(id);
            if (owed == 0) continue;
            (address from, uint256 batchId, uint256 bal) = _holding(seed, amountSeed);
            if (bal == 0) return issue(seed, amountSeed, seed, seed);
            uint256 amount = bound(amountSeed, 1, owed < bal ? owed : bal);
            vm.prank(from);
            _buffer.compensate(id, batchId, amount);
            ghostCompensatedKg[id] += amount;
            return;
        }
        bufferReport(seed, (amountSeed / 3) * 3); // a multiple of 3: avoidable
    }

    function reversals() external view returns (uint256[] memory) {
        return _reversals;
    }

    /// @inheritdoc CreditOps
    function _issuable(uint256 projectId) internal view virtual override returns (bool) {
        return super._issuable(projectId) && _credit.outstandingReversalOf(projectId) == 0;
    }
}
