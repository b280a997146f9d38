#!/usr/bin/env bash
# Formats every Swift file in place with the toolchain's swift format and .swift-format
# (close to Hummingbird's configuration; lines of 120). scripts/test.sh fails on unformatted code.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format format --parallel --in-place --recursive Sources Tests Package.swift
