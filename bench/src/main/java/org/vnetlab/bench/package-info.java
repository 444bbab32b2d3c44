/** JMH benchmarks of NAT translation; see docs/benchmarks.md. */
package org.vnetlab.bench;
