// The example's build: copies src/ to dist/. Replace it with your bundler or
// static-site generator, writing to dist/, which nginx serves.
"use strict";

const fs = require("fs");

fs.rmSync("dist", { recursive: true, force: true });
fs.cpSync("src", "dist", { recursive: true });
