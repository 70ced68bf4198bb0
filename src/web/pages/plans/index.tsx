import { Route, Routes } from "react-router";
import { PlanDetail } from "./components/PlanDetail";
import { PlanList } from "./components/PlanList";

/** The office's plans: the list (/plans) and one plan's workflow (/plans/:planId). */
export default function PlansPage() {
  return (
    <Routes>
      <Route index element={<PlanList />} />
      <Route path=":planId" element={<PlanDetail />} />
    </Routes>
  );
}
