/**
 * The demo: {@link dev.crmkit.examples.demo.DemoRunner} runs it against any capable
 * {@link dev.crmkit.CustomerSystem} and returns a {@link dev.crmkit.examples.demo.DemoReport};
 * {@link dev.crmkit.examples.demo.InboundMessageGenerator} writes its seeded message stream.
 */
package dev.crmkit.examples.demo;
