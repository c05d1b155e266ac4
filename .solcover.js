// solidity-coverage: mocks and test helpers are not part of the product.
module.exports = {
  skipFiles: ["test/"],
  istanbulReporter: ["text", "json-summary", "lcov"],
  mocha: { timeout: 300000 },
};
