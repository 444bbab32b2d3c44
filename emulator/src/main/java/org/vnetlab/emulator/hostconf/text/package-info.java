/**
 * Line and token cursors shared by the host-configuration parsers: every token remembers its 1-based line
 * and column, so every error can name exactly what it did not understand.
 */
package org.vnetlab.emulator.hostconf.text;
