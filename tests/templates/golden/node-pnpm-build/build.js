// The example's build: copies src/ to dist/. Replace it with your compiler or bundler
// (tsc, esbuild, vite...), writing to dist/, which the image runs from.
"use strict";

const fs = require("fs");

fs.rmSync("dist", { recursive: true, force: true });
fs.cpSync("src", "dist", { recursive: true });
