// Fill the latitude and longitude fields from the phone's location, when the teacher asks (no inline JS: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("use-location");
  if (!button) return;
  var status = document.getElementById("location-status");
  button.addEventListener("click", function () {
    if (!navigator.geolocation) {
      status.textContent = button.dataset.unavailable;
      return;
    }
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.done;
      },
      function () {
        status.textContent = button.dataset.unavailable;
      },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
});
