/** What every parser of user input shares: the file:line:column error that names the offending token. */
package org.vnetlab.emulator.input;
