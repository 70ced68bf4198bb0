import { Component, type ReactNode } from "react";

/**
 * Keeps the results readable when a chart cannot be drawn (a canvas the browser refuses, a chunk that
 * fails to load): the chart is left out, the ranking and the unit's page stay.
 */
export class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}
